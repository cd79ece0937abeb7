package io.consentcast.optin;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.google.i18n.phonenumbers.PhoneNumberUtil;

import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.TenancyService;
import io.quarkus.qute.RawString;

/**
 * Which country a number without "+" belongs to: the one the reader picked, else the workspace's home
 * country (German workspaces: DE, English ones: GB). Numbers written with "+" or "00" need none.
 */
@ApplicationScoped
public class LandingRegions {

    @Inject
    TenancyService tenancy;

    @Inject
    CurrentTenant currentTenant;

    public record Country(String region, int callingCode, String name) {
    }

    /** A mobile number of a country as its people write it ({@code 07400 123456}) and with its code ({@code +44 7400 123456}). */
    public record Example(String national, String international) {
    }

    /** Example numbers per region, from libphonenumber's metadata. */
    private final Map<String, Example> examples = new ConcurrentHashMap<>();

    /** Sorted countries per page language: the same ~245 regions, named and sorted once. */
    private final Map<Locale, List<Country>> countries = new ConcurrentHashMap<>();

    /**
     * The picker's {@code <option>} elements per page language and selected region, rendered once: the landing
     * and unsubscribe pages are public and their most frequent requests (benchmark 2, docs/PERFORMANCE.md). At
     * most languages x supported regions entries, as the selection is always a supported region.
     */
    private final Map<String, RawString> options = new ConcurrentHashMap<>();

    public String defaultRegion() {
        return tenancy.workspace(currentTenant.id()).map(LandingRegions::defaultRegion).orElse("DE");
    }

    /** The country preselected for a workspace ({@link io.consentcast.consent.PhoneNumbers#workspaceRegion}). */
    static String defaultRegion(TenancyService.WorkspaceInfo workspace) {
        return io.consentcast.consent.PhoneNumbers.workspaceRegion(workspace.locale());
    }

    /** {@code region} when it is a region libphonenumber knows, else the workspace default. */
    public String regionOr(String region) {
        return known(region) ? region : defaultRegion();
    }

    /** {@code region} when it is a region libphonenumber knows, else {@code fallback}. */
    public String regionOr(String region, String fallback) {
        return known(region) ? region : fallback;
    }

    /**
     * The example shown under the number field: a mobile number of the preselected country, so the English page of a
     * British workspace shows British numbers and the German page German ones.
     */
    public Example example(String region) {
        return examples.computeIfAbsent(known(region) ? region : "DE", r -> {
            PhoneNumberUtil util = PhoneNumberUtil.getInstance();
            var number = util.getExampleNumberForType(r, PhoneNumberUtil.PhoneNumberType.MOBILE);
            if (number == null) {
                number = util.getExampleNumber(r);
            }
            if (number == null) {
                number = util.getExampleNumberForType("DE", PhoneNumberUtil.PhoneNumberType.MOBILE);
            }
            return new Example(util.format(number, PhoneNumberUtil.PhoneNumberFormat.NATIONAL),
                    util.format(number, PhoneNumberUtil.PhoneNumberFormat.INTERNATIONAL));
        });
    }

    private static boolean known(String region) {
        return region != null && PhoneNumberUtil.getInstance().getSupportedRegions().contains(region);
    }

    /** Every region with its calling code, named and sorted in {@code locale}. */
    public List<Country> countries(Locale locale) {
        return countries.computeIfAbsent(locale, l -> {
            PhoneNumberUtil util = PhoneNumberUtil.getInstance();
            return util.getSupportedRegions().stream()
                    .map(r -> new Country(r, util.getCountryCodeForRegion(r), new Locale("", r).getDisplayCountry(l)))
                    .sorted(Comparator.comparing(Country::name))
                    .toList();
        });
    }

    /**
     * The {@code <option>} elements of the country picker in {@code locale}, {@code selected} marked (names
     * HTML-escaped): {@code <option value="DE" selected>Deutschland (+49)</option>...}.
     */
    public RawString options(Locale locale, String selected) {
        String region = regionOr(selected);
        return options.computeIfAbsent(locale.toLanguageTag() + "|" + region, k -> {
            StringBuilder html = new StringBuilder(16 * 1024);
            for (Country c : countries(locale)) {
                html.append("<option value=\"").append(c.region()).append('"')
                        .append(c.region().equals(region) ? " selected" : "").append('>')
                        .append(escape(c.name())).append(" (+").append(c.callingCode()).append(")</option>");
            }
            return new RawString(html.toString());
        });
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
