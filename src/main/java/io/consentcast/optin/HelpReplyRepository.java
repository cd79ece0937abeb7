package io.consentcast.optin;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class HelpReplyRepository implements PanacheRepositoryBase<HelpReply, UUID> {
}
