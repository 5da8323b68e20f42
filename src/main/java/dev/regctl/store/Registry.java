package dev.regctl.store;

import java.util.List;
import java.util.function.Predicate;

/**
 * A registry as a whole, beside its repositories: what {@code ls} and {@code login} ask of it.
 * Handed out by the session, which is the one place that speaks to registries.
 */
public interface Registry {

    /** The repositories its catalog lists that pass {@code keep}, at most {@code limit} of them (0: all). */
    List<String> repositories(Predicate<String> keep, int limit);

    /**
     * Succeeds when the registry (or its token server) accepts this run's credentials, and fails
     * with the registry's own answer otherwise; {@code what} names the step for the message.
     */
    void checkAccess(String what);
}
