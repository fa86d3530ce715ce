// EpubCheckMany.java — runs epubcheck's library on many EPUB files in one JVM (a JVM start
// costs seconds; a check of a small book, a fraction of one). Prints one line per book:
// "OK path" or "FAIL path: N fatal, N errors, N warnings" after epubcheck's own messages.
// Usage: java -cp epubcheck.jar EpubCheckMany.java FILE...  (exit 1 when any book fails)
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

public class EpubCheckMany {
    public static void main(String[] args) {
        int bad = 0;
        for (String path : args) {
            DefaultReportImpl report = new DefaultReportImpl(path);
            new EpubCheck(new File(path), report).doValidate();
            int f = report.getFatalErrorCount(), e = report.getErrorCount(),
                w = report.getWarningCount();
            if (f + e + w == 0) {
                System.out.println("OK " + path);
            } else {
                System.out.println("FAIL " + path + ": " + f + " fatal, " + e + " errors, " + w
                                   + " warnings");
                bad++;
            }
        }
        System.out.println(bad == 0 ? "all " + args.length + " books passed"
                                    : bad + " of " + args.length + " books failed");
        System.exit(bad == 0 ? 0 : 1);
    }
}
