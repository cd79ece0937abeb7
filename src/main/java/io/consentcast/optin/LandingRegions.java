package io.consentcast.optin;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.google.i18n.phonenumbers.PhoneNumberUtil;

import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.TenancyService;

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

    public String defaultRegion() {
        return tenancy.workspace(currentTenant.id()).map(t -> "de".equals(t.locale()) ? "DE" : "GB").orElse("DE");
    }

    /** {@code region} when it is a region libphonenumber knows, else the workspace default. */
    public String regionOr(String region) {
        return region != null && PhoneNumberUtil.getInstance().getSupportedRegions().contains(region) ? region
                : defaultRegion();
    }

    /** Every region with its calling code, named and sorted in {@code locale}. */
    public List<Country> countries(Locale locale) {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        return util.getSupportedRegions().stream()
                .map(r -> new Country(r, util.getCountryCodeForRegion(r), new Locale("", r).getDisplayCountry(locale)))
                .sorted(Comparator.comparing(Country::name))
                .toList();
    }
}
