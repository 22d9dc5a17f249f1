package io.kycrouter;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The packages depend on each other in one direction, the way a delivery flows: ingress -> vendors -> security ->
 * delivery (the delivery as received and its refusal). A cycle between packages means neither can be read, changed
 * or tested without the other.
 */
class PackageCyclesTest {

    private static final JavaClasses ROUTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.kycrouter");

    @Test
    void noPackageCycles() {
        slices().matching("io.kycrouter.(*)..").should().beFreeOfCycles()
                .check(ROUTER);
    }

    @Test
    void theDeliveryModelDependsOnNoStageOfTheFlow() {
        noClasses().that().resideInAPackage("io.kycrouter.delivery..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.kycrouter.ingress..", "io.kycrouter.vendors..", "io.kycrouter.security..")
                .check(ROUTER);
    }

    @Test
    void securityKnowsNeitherIngressNorVendors() {
        noClasses().that().resideInAPackage("io.kycrouter.security..")
                .should().dependOnClassesThat().resideInAnyPackage("io.kycrouter.ingress..", "io.kycrouter.vendors..")
                .check(ROUTER);
    }

    @Test
    void vendorsDoNotKnowIngress() {
        noClasses().that().resideInAPackage("io.kycrouter.vendors..")
                .should().dependOnClassesThat().resideInAPackage("io.kycrouter.ingress..")
                .check(ROUTER);
    }
}
