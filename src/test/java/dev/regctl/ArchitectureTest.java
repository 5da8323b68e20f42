package dev.regctl;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.regctl.oci.ArchiveReference;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.LayoutReference;
import dev.regctl.oci.Reference;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering docs/architecture.md draws, held by the compiled classes: operations reach
 * registries, layouts and archives only through the one door ({@code ops.Session}), the CLI
 * not at all, and the top-level packages import each other one way only.
 */
class ArchitectureTest {
    /** What only the door may see: the transport and the stores' insides. */
    private static final String[] STORE_INTERNALS = {
        "okhttp3..", "dev.regctl.http..", "dev.regctl.store.registry..", "dev.regctl.store.ocidir..",
        "dev.regctl.store.archive.."};

    private static JavaClasses main;
    /** Main and test classes: a test in another package is a caller too. */
    private static JavaClasses withTests;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.regctl");
        withTests = new ClassFileImporter().importPackages("dev.regctl");
    }

    @Test
    void operationsReachStoresOnlyThroughTheDoor() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.regctl.ops..")
                .and().doNotHaveFullyQualifiedName("dev.regctl.ops.Session")
                .and(notNestedIn("dev.regctl.ops.Session"))
                .should().dependOnClassesThat().resideInAnyPackage(STORE_INTERNALS)
                .because("ops.Session is the one place that tells registries, layouts and archives apart");
        rule.check(main);
    }

    /** Commands and operations ask a reference what it can hold, or the opened store what it is; never which kind it is. */
    @Test
    void onlyTheDoorAsksWhichKindAReferenceIs() {
        classes().that().resideInAnyPackage("dev.regctl.ops..", "dev.regctl.cli..")
                .and().doNotHaveFullyQualifiedName("dev.regctl.ops.Session")
                .and(notNestedIn("dev.regctl.ops.Session"))
                .should(notAskWhichKindAReferenceIs())
                .check(main);
    }

    /** The rule above sees what it forbids: the door asks, and is the one place that may. */
    @Test
    void theDoorIsWhereKindsAreToldApart() {
        assertTrue(classes().that().haveFullyQualifiedName("dev.regctl.ops.Session")
                .should(notAskWhichKindAReferenceIs()).evaluate(main).hasViolation());
    }

    @Test
    void commandsNeitherTalkHttpNorOpenStoresThemselves() {
        noClasses().that().resideInAPackage("dev.regctl.cli..")
                .should().dependOnClassesThat().resideInAnyPackage(STORE_INTERNALS)
                .because("commands only parse arguments and print results")
                .check(main);
    }

    /** The image model works over any opened store: it neither opens stores nor knows their kinds, and no command is below it. */
    @Test
    void theImageModelStandsOnStoresAlone() {
        noClasses().that().resideInAPackage("dev.regctl.image..")
                .should().dependOnClassesThat().resideInAnyPackage(concat(STORE_INTERNALS, "dev.regctl.ops..", "dev.regctl.cli.."))
                .because("operations build on the image model, not the other way round")
                .check(main);
        classes().that().resideInAPackage("dev.regctl.image..").should(notAskWhichKindAReferenceIs()).check(main);
    }

    private static String[] concat(String[] a, String... b) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b)).toArray(String[]::new);
    }

    @Test
    void topLevelPackagesHaveNoCycles() {
        slices().matching("dev.regctl.(*)..").should().beFreeOfCycles().check(main);
    }

    /**
     * Types started by name, which no class file shows a caller of: the build's and the launcher's
     * {@code java} runs, and append's builder, loaded from its own class path. And types used outside
     * their package only through compile-time constants, which javac copies into the caller.
     */
    private static final Set<String> PUBLIC_WITHOUT_A_VISIBLE_CALLER = Set.of(
            "dev.regctl.build.CdsTraining", "dev.regctl.build.CommandModelStore",
            "dev.regctl.ops.append.jib.JibImageBuilder",
            "dev.regctl.ops.artifact.ArtifactManifest", "dev.regctl.ops.sync.SyncStep");

    /**
     * A package's public types are its contract with the others ({@code store.archive}'s, one of 13, is the
     * model): a type is public only when something outside its package uses it (a test included), every other its own.
     */
    @Test
    void typesArePublicOnlyWhenUsedOutsideTheirPackage() {
        classes().that().resideInAnyPackage("dev.regctl..")
                .and().arePublic().and().areTopLevelClasses()
                .and(DescribedPredicate.describe("are not started by name",
                        (JavaClass c) -> !PUBLIC_WITHOUT_A_VISIBLE_CALLER.contains(c.getName())))
                .should(haveACallerOutsideTheirPackage())
                .check(main);
    }

    private static DescribedPredicate<JavaClass> notNestedIn(String outer) {
        return DescribedPredicate.describe("are not nested in " + outer,
                c -> c.getEnclosingClass().map(e -> !e.getName().equals(outer)).orElse(true));
    }

    private static ArchCondition<JavaClass> notAskWhichKindAReferenceIs() {
        Set<String> kinds = Set.of(Reference.class.getName(), LayoutReference.class.getName(),
                ArchiveReference.class.getName(), ImageRef.StoreKind.class.getName());
        return new ArchCondition<>("not ask which kind a reference is") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                c.getInstanceofChecks().stream().filter(i -> kinds.contains(i.getRawType().getName()))
                        .forEach(i -> events.add(SimpleConditionEvent.violated(c, c.getName() + " checks instanceof "
                                + i.getRawType().getName() + " " + i.getSourceCodeLocation())));
                c.getMethodCallsFromSelf().stream()
                        .filter(m -> m.getName().equals("kind") && m.getTargetOwner().isAssignableTo(ImageRef.class))
                        .forEach(m -> events.add(SimpleConditionEvent.violated(c, m.getDescription())));
                c.getFieldAccessesFromSelf().stream()
                        .filter(f -> f.getTargetOwner().getName().equals(ImageRef.StoreKind.class.getName()))
                        .forEach(f -> events.add(SimpleConditionEvent.violated(c, f.getDescription())));
            }
        };
    }

    private static ArchCondition<JavaClass> haveACallerOutsideTheirPackage() {
        return new ArchCondition<>("be used outside their package") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                boolean used = withTests.get(c.getName()).getDirectDependenciesToSelf().stream()
                        .anyMatch(d -> !d.getOriginClass().getPackageName().equals(c.getPackageName()));
                if (!used && c.getModifiers().contains(JavaModifier.PUBLIC)) {
                    events.add(SimpleConditionEvent.violated(c, c.getName()
                            + " is public, but nothing outside its package uses it: make it package-private"));
                }
            }
        };
    }
}
