package dev.skiff.apiserver.apply;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.StatusError;
import java.util.List;
import java.util.Objects;

/**
 * Who is writing in the current request, for the managedFields of what it writes: the field
 * manager, whether it applies or updates, and the subresource it writes through. The API server
 * binds it in {@link #CURRENT} for the length of a request; stores record ownership only while it
 * is bound, so the server's own writes (namespace finalization, bindings) change no ownership.
 *
 * @param manager the field manager
 * @param operation apply or update
 * @param subresource "" or the subresource ({@code status}, {@code scale})
 */
public record WriteOrigin(String manager, ManagedFieldsEntry.Operation operation, String subresource) {
  /** The writer of the request being served. */
  public static final ScopedValue<WriteOrigin> CURRENT = ScopedValue.newInstance();
  /** Upstream's limit on a field manager's name. */
  public static final int MAX_MANAGER_LENGTH = 128;

  public WriteOrigin {
    Objects.requireNonNull(manager, "manager");
    Objects.requireNonNull(operation, "operation");
    subresource = subresource == null ? "" : subresource;
  }

  /**
   * The writer of an update: the {@code fieldManager} query parameter, or else upstream's default,
   * the User-Agent up to its first {@code /} ({@code kubectl-client-side-apply}, {@code kubectl-edit}).
   *
   * @throws StatusError 422 when the given manager is too long or not printable
   */
  public static WriteOrigin update(String fieldManager, String userAgent, String subresource) {
    String manager = fieldManager == null ? "" : fieldManager;
    if (manager.isEmpty()) {
      String agent = userAgent == null ? "" : userAgent;
      int slash = agent.indexOf('/');
      manager = slash >= 0 ? agent.substring(0, slash) : agent;
      manager = manager.length() > MAX_MANAGER_LENGTH ? manager.substring(0, MAX_MANAGER_LENGTH) : manager;
    } else {
      check(manager);
    }
    return new WriteOrigin(manager, ManagedFieldsEntry.Operation.UPDATE, subresource);
  }

  /** The writer of an apply, whose manager the caller has checked is given. */
  public static WriteOrigin apply(String fieldManager, String subresource) {
    check(fieldManager);
    return new WriteOrigin(fieldManager, ManagedFieldsEntry.Operation.APPLY, subresource);
  }

  private static void check(String manager) {
    if (manager.length() > MAX_MANAGER_LENGTH) {
      throw StatusError.invalid("meta.k8s.io", "PatchOptions", "", List.of(FieldError.invalid("fieldManager",
          manager, "may not be more than " + MAX_MANAGER_LENGTH + " bytes")));
    }
    if (!manager.chars().allMatch(c -> c >= 0x20 && c != 0x7f)) {
      throw StatusError.invalid("meta.k8s.io", "PatchOptions", "", List.of(FieldError.invalid("fieldManager",
          manager, "must only contain printable characters")));
    }
  }
}
