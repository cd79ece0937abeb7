package io.consentcast.lists;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class ListRepository implements PanacheRepositoryBase<MailingList, UUID> {

    public Optional<MailingList> findBySlug(String slug) {
        return find("slug", slug).firstResultOptional();
    }

    public Optional<MailingList> findByKeyword(String keyword) {
        return find("keyword", keyword).firstResultOptional();
    }

    public List<MailingList> listAllByName() {
        return list("order by name");
    }
}
