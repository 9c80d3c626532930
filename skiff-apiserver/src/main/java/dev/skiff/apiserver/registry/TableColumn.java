package dev.skiff.apiserver.registry;

import java.util.Objects;

/**
 * One column of the server-side Table that {@code kubectl get} prints, as upstream's
 * {@code metav1.TableColumnDefinition}.
 *
 * @param name the header ({@code Name}, {@code Age}); kubectl upper-cases it
 * @param type an OpenAPI type: {@code string}, {@code integer}, {@code date}, ...
 * @param format {@code name} for the name column, else ""
 * @param description what the column shows
 * @param priority 0 for default columns, 1 for {@code -o wide} only
 */
public record TableColumn(String name, String type, String format, String description, int priority) {
  public TableColumn {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(description, "description");
  }

  public static TableColumn nameColumn() {
    return new TableColumn("Name", "string", "name",
        "Name must be unique within a namespace. Is required when creating resources, although some"
            + " resources may allow a client to request the generation of an appropriate name"
            + " automatically. Name is primarily intended for creation idempotence and configuration"
            + " definition. Cannot be updated. More info:"
            + " https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
        0);
  }

  public static TableColumn ageColumn() {
    return new TableColumn("Age", "string", "",
        "CreationTimestamp is a timestamp representing the server time when this object was created."
            + " It is not guaranteed to be set in happens-before order across separate operations."
            + " Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\n"
            + "Populated by the system. Read-only. Null for lists. More info:"
            + " https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
        0);
  }

  public static TableColumn of(String name, String type, String description) {
    return new TableColumn(name, type, "", description, 0);
  }

  public static TableColumn wide(String name, String type, String description) {
    return new TableColumn(name, type, "", description, 1);
  }
}
