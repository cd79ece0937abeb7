package io.consentcast.testsupport;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** A test user talking to the API with a bearer token. */
public record Api(String subject, String email, String token) {

    /** A fresh user with a unique subject and e-mail address. */
    public static Api newUser(String name) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String email = name + "-" + id + "@example.org";
        return new Api("sub-" + name + "-" + id, email, Tokens.of("sub-" + name + "-" + id, email));
    }

    public RequestSpecification req() {
        return given().auth().oauth2(token).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    /** Creates a workspace owned by this user and returns its slug. */
    public String createWorkspace(String prefix) {
        String slug = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        req().body(Map.of("slug", slug, "name", "Publication " + slug, "locale", "de", "timezone", "Europe/Berlin"))
                .post("/api/tenants").then().statusCode(201);
        return slug;
    }

    /** Invites {@code other} with {@code role} into {@code slug} and lets them accept. */
    public void addMember(String slug, Api other, String role) {
        String link = req().body(Map.of("email", other.email(), "role", role))
                .post("/api/tenants/" + slug + "/invitations").then().statusCode(201)
                .extract().path("link");
        String token = link.substring(link.lastIndexOf('/') + 1);
        other.req().body(Map.of("token", token)).post("/api/tenants/" + slug + "/invitations/accept")
                .then().statusCode(200);
    }
}
