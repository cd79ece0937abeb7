package io.consentcast.dispatch;

import java.util.Locale;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.consentcast.lists.ListService;
import io.consentcast.web.PageContext;

/**
 * Warns before sending when an issue's template is in another language than its list (an English template
 * to a German list): the readers subscribed in the list's language. A warning, not a block: a publisher may
 * mean it. Used by the issue page as {@code inject:templateLanguage.mismatch(issue)}; languages are compared
 * by their primary subtag ({@code en_US} and {@code en} match) and named in the page's language.
 */
@Named("templateLanguage")
@RequestScoped
public class TemplateLanguageCheck {

    @Inject
    ListService lists;

    @Inject
    PageContext page;

    /** The template and list with their languages in words, for the warning. */
    public record Mismatch(String template, String templateLanguage, String list, String listLanguage) {
    }

    /** The mismatch of an issue that sends a template, or null (languages agree, free text, no list). */
    public Mismatch mismatch(IssueService.IssueView issue) {
        if (issue == null || issue.template() == null || issue.template().language() == null || issue.list() == null) {
            return null;
        }
        return lists.bySlug(issue.list()).map(l -> mismatch(issue.template().name(), issue.template().language(),
                l.name(), l.language())).orElse(null);
    }

    Mismatch mismatch(String template, String templateLanguage, String list, String listLanguage) {
        String t = primary(templateLanguage);
        String l = primary(listLanguage);
        if (t.isEmpty() || l.isEmpty() || t.equals(l)) {
            return null;
        }
        Locale in = page.locale();
        return new Mismatch(template, Locale.forLanguageTag(t).getDisplayLanguage(in), list,
                Locale.forLanguageTag(l).getDisplayLanguage(in));
    }

    static String primary(String language) {
        return language == null ? "" : language.split("[_-]")[0].toLowerCase(Locale.ROOT);
    }
}
