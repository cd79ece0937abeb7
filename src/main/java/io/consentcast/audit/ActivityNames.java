package io.consentcast.audit;

import java.util.Collection;
import java.util.Map;

/**
 * The current names of things of one {@link ActivitySubject.Type} in the current workspace, implemented by the
 * feature that owns them (lists by {@code lists}, issues by {@code dispatch}), so the activity log shows names
 * without reading another feature's tables. An id without a current name (a deleted thing) is left out; the log
 * then shows the name recorded with the entry.
 */
public interface ActivityNames {

    ActivitySubject.Type type();

    Map<String, String> names(Collection<String> ids);
}
