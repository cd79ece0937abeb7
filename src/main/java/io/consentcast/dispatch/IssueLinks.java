package io.consentcast.dispatch;

import static io.consentcast.shared.SqlValues.ts;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.consentcast.shared.ConsentcastConfig;
import io.consentcast.shared.Ids;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.whatsapp.TemplateLayout;

/**
 * The click-counting links of issues' URL buttons. A template's dynamic URL button whose URL is this
 * installation's redirect ({@code <base-url>/r/{{1}}}) is sent with a token as its suffix; the token names the
 * issue and the button, never the reader, and {@code GET /r/{token}} ({@link LinkRedirect}) counts one click and
 * redirects to the article URL stored here. {@code issue_links} is a platform table (the redirect has no
 * workspace): every read and write from a workspace filters by its tenant id here, and nowhere else.
 */
@ApplicationScoped
public class IssueLinks {

    /** The characters of a token: {@link Ids#token} (URL-safe Base64 of 24 random bytes). */
    static final String TOKEN = "[A-Za-z0-9_-]{32}";

    @Inject
    EntityManager em;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    TenantScope tenantScope;

    @Inject
    ConsentcastConfig config;

    @Inject
    Clock clock;

    /** One redirect of an issue: the button's index (as Meta counts buttons) and the https article URL. */
    record Target(int buttonIndex, String url) {
    }

    /** The prefix of the redirect's URL a template's URL button must have for its clicks to be counted. */
    String redirectPrefix() {
        return config.baseUrl().replaceAll("/+$", "") + "/r/";
    }

    /** Whether the button leads through this installation's redirect (its URL is {@code <base>/r/{{1}}}). */
    boolean counted(TemplateLayout.Button button) {
        return button.dynamicUrl() && redirectPrefix().equals(button.urlPrefix());
    }

    /**
     * Makes the issue's links exactly {@code targets}: a button keeps its token (links already sent stay valid and
     * lead to the new URL), new buttons get one, buttons no longer there lose theirs. In the caller's transaction.
     */
    void sync(UUID issueId, List<Target> targets) {
        String tenant = currentTenant.id();
        Map<Integer, String> existing = tokens(issueId);
        for (Target t : targets) {
            if (existing.containsKey(t.buttonIndex())) {
                em.createNativeQuery("UPDATE issue_links SET target_url = ?1 WHERE tenant_id = ?2 AND issue_id = ?3"
                        + " AND button_index = ?4").setParameter(1, t.url()).setParameter(2, tenant)
                        .setParameter(3, issueId).setParameter(4, t.buttonIndex()).executeUpdate();
            } else {
                em.createNativeQuery("INSERT INTO issue_links (token, tenant_id, issue_id, button_index, target_url,"
                        + " clicks, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6)").setParameter(1, Ids.token(24))
                        .setParameter(2, tenant).setParameter(3, issueId).setParameter(4, t.buttonIndex())
                        .setParameter(5, t.url()).setParameter(6, ts(clock.instant())).executeUpdate();
            }
        }
        for (Integer index : existing.keySet()) {
            if (targets.stream().noneMatch(t -> t.buttonIndex() == index)) {
                em.createNativeQuery("DELETE FROM issue_links WHERE tenant_id = ?1 AND issue_id = ?2"
                        + " AND button_index = ?3").setParameter(1, tenant).setParameter(2, issueId)
                        .setParameter(3, index).executeUpdate();
            }
        }
    }

    /** The issue's tokens by button index. */
    Map<Integer, String> tokens(UUID issueId) {
        Map<Integer, String> out = new HashMap<>();
        for (Object r : em.createNativeQuery("SELECT button_index, token FROM issue_links WHERE tenant_id = ?1"
                + " AND issue_id = ?2").setParameter(1, currentTenant.id()).setParameter(2, issueId).getResultList()) {
            Object[] row = (Object[]) r;
            out.put(((Number) row[0]).intValue(), (String) row[1]);
        }
        return out;
    }

    /** Clicks on all of the issue's counted buttons. */
    long clicks(UUID issueId) {
        Number n = (Number) em.createNativeQuery("SELECT coalesce(sum(clicks), 0) FROM issue_links WHERE tenant_id = ?1"
                + " AND issue_id = ?2").setParameter(1, currentTenant.id()).setParameter(2, issueId).getSingleResult();
        return n.longValue();
    }

    /** Counts one click on {@code token} and returns where it leads; empty for a token that is not ours. */
    Optional<String> follow(String token) {
        if (token == null || !token.matches(TOKEN)) {
            return Optional.empty();
        }
        return tenantScope.platform(() -> em.createNativeQuery("UPDATE issue_links SET clicks = clicks + 1,"
                + " last_click_at = ?1 WHERE token = ?2 RETURNING target_url").setParameter(1, ts(clock.instant()))
                .setParameter(2, token).getResultStream().findFirst().map(String.class::cast));
    }
}
