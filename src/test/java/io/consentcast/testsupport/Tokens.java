package io.consentcast.testsupport;

import java.util.Set;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/** Bearer tokens signed like the test OIDC server's, for distinct users. */
public final class Tokens {

    private Tokens() {
    }

    /** A user whose e-mail address the identity provider has verified ({@code email_verified: true}). */
    public static String of(String subject, String email) {
        return withEmailVerified(subject, email, Boolean.TRUE);
    }

    /**
     * A user with the given {@code email_verified} claim: {@code false} as Keycloak issues it before the user
     * clicked the verification link, {@code null} for no claim at all (as the dev login issues them).
     */
    public static String withEmailVerified(String subject, String email, Boolean verified) {
        JwtClaimsBuilder claims = Jwt.preferredUserName(email)
                .groups(Set.of("user"))
                .issuer("https://server.example.com")
                .audience("https://service.example.com")
                .subject(subject)
                .claim("email", email)
                .claim("name", email.substring(0, email.indexOf('@')));
        if (verified != null) {
            claims = claims.claim("email_verified", verified);
        }
        return claims.jws().keyId("1").sign("privateKey.jwk");
    }
}
