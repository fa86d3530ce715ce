# fuzz.cmake — the libFuzzer targets (cmake -DNC_FUZZ=ON with CC=clang): every
# tests/fuzz/fuzz_*.c is one target, so adding one for a new reader or writer is one file.
# `cmake --build build-fuzz --target fuzz` builds them all; tests/fuzz/run.sh runs them.
if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "NC_FUZZ=ON needs clang (libFuzzer): configure with CC=clang")
endif()
file(GLOB NC_FUZZ_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/fuzz/fuzz_*.c)
add_custom_target(fuzz)
foreach(src ${NC_FUZZ_SOURCES})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_compile_definitions(${name} PRIVATE _POSIX_C_SOURCE=200809L)
  target_link_libraries(${name} PRIVATE noteconv_static)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  add_dependencies(fuzz ${name})
endforeach()
