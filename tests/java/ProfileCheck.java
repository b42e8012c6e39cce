// OWL 2 DL profile check with the OWL API 5.1 (Debian's libowlapi-java), for exokg's tests and CI.
//
//   java -cp '/usr/share/java/*' tests/java/ProfileCheck.java MAIN [MODULE ...]
//       loads each MODULE first (so that MAIN's owl:imports of their IRIs resolve to them, never to
//       the web), then MAIN, and checks MAIN with its imports closure;
//   java -cp '/usr/share/java/*' tests/java/ProfileCheck.java --each FILE ...
//       checks each FILE on its own, in a fresh manager (is each module self-contained?).
//
// Prints, per checked file, "FILE: ontology IRI <…> version IRI <…>" (as the OWL API read the header:
// for an .obo file, what its OBO parser made of `ontology:` and `data-version:`), one line per
// violation ("FILE: violation") and "FILE: N violations";
// exits 1 when any file has a violation, 2 on a usage or loading error (a missing import included).
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class ProfileCheck {
    static final OWLOntologyLoaderConfiguration CONFIG = new OWLOntologyLoaderConfiguration()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.THROW_EXCEPTION);

    static OWLOntology load(OWLOntologyManager manager, String path) throws Exception {
        return manager.loadOntologyFromOntologyDocument(new FileDocumentSource(new File(path)), CONFIG);
    }

    static int check(String name, OWLOntology ontology) {
        System.out.println(name + ": ontology IRI " + ontology.getOntologyID().getOntologyIRI()
                .map(Object::toString).orElse("none") + " version IRI "
                + ontology.getOntologyID().getVersionIRI().map(Object::toString).orElse("none"));
        List<OWLProfileViolation> violations = new OWL2DLProfile().checkOntology(ontology).getViolations();
        for (OWLProfileViolation violation : violations) {
            System.out.println(name + ": " + violation.toString().replace('\n', ' '));
        }
        System.out.println(name + ": " + violations.size() + " violations");
        return violations.size();
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: ProfileCheck MAIN [MODULE ...] | --each FILE ...");
            System.exit(2);
        }
        int total = 0;
        try {
            if (args[0].equals("--each")) {
                for (int i = 1; i < args.length; i++) {
                    total += check(args[i], load(OWLManager.createOWLOntologyManager(), args[i]));
                }
            } else {
                OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
                for (int i = 1; i < args.length; i++) {
                    load(manager, args[i]);
                }
                total += check(args[0], load(manager, args[0]));
            }
        } catch (Exception error) {
            System.err.println("cannot load: " + error.toString().split("\n")[0]);
            System.exit(2);
        }
        System.exit(total == 0 ? 0 : 1);
    }
}
