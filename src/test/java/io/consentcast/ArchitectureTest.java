package io.consentcast;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.core.domain.JavaClass;

/** Module boundaries of the modular monolith. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.consentcast");

    @Test
    void theSharedKernelDependsOnNoFeature() {
        noClasses().that().resideInAPackage("io.consentcast.shared..")
                .should().dependOnClassesThat().resideOutsideOfPackages("io.consentcast.shared..", "java..", "jakarta..",
                        "io.quarkus..", "io.smallrye..", "org.eclipse.microprofile..", "com.fasterxml..", "org.jboss..")
                .check(CLASSES);
    }

    @Test
    void repositoriesAreUsedOnlyInsideTheirFeature() {
        classes().that().haveSimpleNameEndingWith("Repository")
                .should(new ArchCondition<JavaClass>("be accessed only from their own package") {
                    @Override
                    public void check(JavaClass repository, ConditionEvents events) {
                        repository.getAccessesToSelf().forEach(access -> {
                            JavaClass from = access.getOriginOwner();
                            if (!from.getPackageName().equals(repository.getPackageName())) {
                                events.add(SimpleConditionEvent.violated(access, from.getName() + " uses "
                                        + repository.getSimpleName() + " from another feature; call its service"));
                            }
                        });
                    }
                })
                .check(CLASSES);
    }

    @Test
    void entitiesStayInsideTheirFeature() {
        // Other features get views (records) from a feature's service, never its entities: a feature owns its tables.
        classes().that().areAnnotatedWith(jakarta.persistence.Entity.class)
                .should(new ArchCondition<JavaClass>("be used only inside their own feature") {
                    @Override
                    public void check(JavaClass entity, ConditionEvents events) {
                        entity.getDirectDependenciesToSelf().forEach(dependency -> {
                            JavaClass from = dependency.getOriginClass();
                            String fromPackage = from.getPackageName();
                            if (!fromPackage.equals(entity.getPackageName())
                                    && fromPackage.startsWith("io.consentcast")) {
                                events.add(SimpleConditionEvent.violated(dependency, from.getName() + " uses the entity "
                                        + entity.getSimpleName() + " of another feature; ask its service for a view"));
                            }
                        });
                    }
                })
                .check(CLASSES);
    }

    @Test
    void onlyTheWebShellAndFeaturesRenderPagesNotTheSharedKernel() {
        noClasses().that().resideInAPackage("io.consentcast.shared..")
                .should().dependOnClassesThat().resideInAPackage("io.quarkus.qute..")
                .check(CLASSES);
    }

    /**
     * No two feature packages (tenancy, consent, lists, optin, whatsapp, dispatch, audit, web, shared, dashboard,
     * devdb and any added later) depend on each other in a cycle, however long: every package under
     * io.consentcast is a slice.
     */
    @Test
    void noCyclesBetweenFeaturePackages() {
        slices().matching("io.consentcast.(*)..").should().beFreeOfCycles().check(CLASSES);
    }
}
