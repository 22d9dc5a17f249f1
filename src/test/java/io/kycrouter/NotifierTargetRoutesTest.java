package io.kycrouter;

import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import io.kycrouter.support.TestReceiver;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static io.kycrouter.support.RunningRouter.example;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every notifier target has its own route, made from the route template of its type (router/notifiers.yaml), and a
 * webhook target's URL is called as configured, its query string included.
 */
class NotifierTargetRoutesTest {

    @Test
    void eachTargetGetsARouteFromItsTypesTemplateAndItsUrlIsCalledAsConfigured() throws Exception {
        try (TestReceiver receiver = TestReceiver.start()) {
            Map<String, String> s = RunningRouter.defaults(RunningRouter.tempDir("target-routes"));
            s.put("kyc.notify.poll-period-ms", "50");
            s.put("kyc.notify.targets", "crm, audit");
            s.put("kyc.notify.target.crm.type", "http");
            s.put("kyc.notify.target.crm.url", receiver.url() + "?tenant=a%20b&region=eu");
            s.put("kyc.notify.target.crm.secret", "crm-test-secret-of-24-bytes");
            s.put("kyc.notify.target.audit.type", "log");
            try (RunningRouter router = RunningRouter.start(s)) {
                Route crm = router.main().getCamelContext().getRoute("notify-target-crm");
                Route audit = router.main().getCamelContext().getRoute("notify-target-audit");
                assertThat(crm).isNotNull();
                assertThat(audit).isNotNull();
                assertThat(crm.isCreatedByRouteTemplate()).isTrue();
                assertThat(audit.isCreatedByRouteTemplate()).isTrue();
                assertThat(crm.getEndpoint().getEndpointUri()).isEqualTo("direct://notify-target-crm");

                byte[] body = example("sumsub/applicantReviewed-2.json");
                HttpResponse<String> response = router.post("/webhooks/sumsub", body, Signer.sumsub(body));
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                await("the notification").atMost(RunningRouter.WAIT).until(() -> receiver.successes() == 1);
                TestReceiver.Request request = receiver.requests().get(0);
                assertThat(request.uri()).isEqualTo("/hook?tenant=a%20b&region=eu");
                assertThat(request.header("webhook-signature")).startsWith("v1,");
                assertThat(request.header("Content-Type")).startsWith("application/json");
                await("the log target's delivery").atMost(RunningRouter.WAIT).until(() -> router.caughtUp("audit"));
                assertThat(router.count("select count(*) from outbox where target = 'audit'")).isZero();
            }
        }
    }
}
