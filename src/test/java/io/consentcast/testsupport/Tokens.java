package io.consentcast.testsupport;

import java.util.Set;

import io.smallrye.jwt.build.Jwt;

/** Bearer tokens signed like the test OIDC server's, for distinct users. */
public final class Tokens {

    private Tokens() {
    }

    public static String of(String subject, String email) {
        return Jwt.preferredUserName(email)
                .groups(Set.of("user"))
                .issuer("https://server.example.com")
                .audience("https://service.example.com")
                .subject(subject)
                .claim("email", email)
                .claim("name", email.substring(0, email.indexOf('@')))
                .jws().keyId("1")
                .sign("privateKey.jwk");
    }
}
