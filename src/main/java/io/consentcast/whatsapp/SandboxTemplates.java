package io.consentcast.whatsapp;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The sample templates of every sandbox "account", in Meta's list format, approved, in English and German. */
final class SandboxTemplates {

    private static final String SAMPLES = """
            [
             {"id":"sandbox-1","name":"optin_confirmation","language":"en","status":"APPROVED","category":"UTILITY",
              "components":[{"type":"BODY","text":"You are now subscribed to {{1}}. Reply STOP at any time to unsubscribe."}]},
             {"id":"sandbox-2","name":"optin_confirmation","language":"de","status":"APPROVED","category":"UTILITY",
              "components":[{"type":"BODY","text":"Sie haben {{1}} abonniert. Antworten Sie jederzeit mit STOP, um sich abzumelden."}]},
             {"id":"sandbox-3","name":"newsletter_issue","language":"en","status":"APPROVED","category":"MARKETING",
              "components":[{"type":"BODY","text":"New issue: {{1}}"},
               {"type":"FOOTER","text":"Not interested any more? Tap Stop promotions"},
               {"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Stop promotions"}]}]},
             {"id":"sandbox-4","name":"newsletter_issue","language":"de","status":"APPROVED","category":"MARKETING",
              "components":[{"type":"BODY","text":"Neue Ausgabe: {{1}}"},
               {"type":"FOOTER","text":"Kein Interesse mehr? Tippen Sie auf Stop promotions"},
               {"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Stop promotions"}]}]},
             {"id":"sandbox-7","name":"newsletter_issue_link","language":"en","status":"APPROVED","category":"MARKETING",
              "components":[{"type":"BODY","text":"New issue: {{1}}. Read it here: {{2}}"},
               {"type":"FOOTER","text":"Not interested any more? Tap Stop promotions"},
               {"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Stop promotions"}]}]},
             {"id":"sandbox-8","name":"newsletter_issue_link","language":"de","status":"APPROVED","category":"MARKETING",
              "components":[{"type":"BODY","text":"Neue Ausgabe: {{1}}. Hier lesen: {{2}}"},
               {"type":"FOOTER","text":"Kein Interesse mehr? Tippen Sie auf Stop promotions"},
               {"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Stop promotions"}]}]},
             {"id":"sandbox-9","name":"newsletter_rich","language":"en","status":"APPROVED","category":"MARKETING",
              "parameter_format":"NAMED",
              "components":[{"type":"HEADER","format":"IMAGE","example":{"header_handle":["https://example.com/newsletter-header.jpg"]}},
               {"type":"BODY","text":"{{headline}}: {{teaser}}",
                "example":{"body_text_named_params":[{"param_name":"headline","example":"Town hall"},{"param_name":"teaser","example":"The budget is out"}]}},
               {"type":"FOOTER","text":"You subscribed on our website"},
               {"type":"BUTTONS","buttons":[{"type":"URL","text":"Read the article","url":"${base}/r/{{1}}","example":["${base}/r/sample"]},
                {"type":"QUICK_REPLY","text":"Unsubscribe"}]}]},
             {"id":"sandbox-10","name":"newsletter_rich","language":"de","status":"APPROVED","category":"MARKETING",
              "parameter_format":"NAMED",
              "components":[{"type":"HEADER","format":"IMAGE","example":{"header_handle":["https://example.com/newsletter-header.jpg"]}},
               {"type":"BODY","text":"{{headline}}: {{teaser}}",
                "example":{"body_text_named_params":[{"param_name":"headline","example":"Stadtrat"},{"param_name":"teaser","example":"Der Haushalt steht"}]}},
               {"type":"FOOTER","text":"Sie haben auf unserer Website abonniert"},
               {"type":"BUTTONS","buttons":[{"type":"URL","text":"Zum Artikel","url":"${base}/r/{{1}}","example":["${base}/r/sample"]},
                {"type":"QUICK_REPLY","text":"Abbestellen"}]}]},
             {"id":"sandbox-5","name":"subscription_confirm","language":"en","status":"APPROVED","category":"UTILITY",
              "components":[{"type":"BODY","text":"Please confirm that you want to receive {{1}} on WhatsApp."},
               {"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Yes, subscribe"},{"type":"QUICK_REPLY","text":"No"}]}]},
             {"id":"sandbox-6","name":"subscription_confirm","language":"de","status":"APPROVED","category":"UTILITY",
              "components":[{"type":"BODY","text":"Bitte bestätigen Sie, dass Sie {{1}} über WhatsApp erhalten möchten."},
               {"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Ja, abonnieren"},{"type":"QUICK_REPLY","text":"Nein"}]}]}
            ]""";

    /** The button text of Meta's native marketing opt-out quick reply. */
    static final String STOP_PROMOTIONS = "Stop promotions";

    private SandboxTemplates() {
    }

    /**
     * The samples; the rich one's URL button leads to the click-counting redirect {@code /r/{token}} of
     * {@code baseUrl}, as a publisher's template would.
     */
    static List<JsonNode> samples(ObjectMapper json, String baseUrl) {
        try {
            List<JsonNode> out = new ArrayList<>();
            String base = baseUrl.replaceAll("/+$", "");
            json.readTree(SAMPLES.replace("${base}", base)).forEach(out::add);
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
