package dev.skiff.apiserver.json;

import java.nio.charset.StandardCharsets;

/**
 * Writes a stored object's JSON bytes as the API returns it, without building a tree: the
 * top-level {@code kind} and {@code apiVersion} dropped (items of a typed list) or checked (a single
 * object) and {@code "resourceVersion":"N"} appended to {@code metadata}. The result is byte for byte what
 * parsing the bytes, setting those fields and writing the tree with {@link Json} gives, for bytes
 * that {@link Json} wrote (compact, no resourceVersion), which is how objects are stored.
 *
 * <p>Scans only the top level: nested values are skipped by bracket counting outside strings.
 * Stateless and thread-safe.
 */
public final class StoredObjectWriter {
  private static final byte[] KIND = "kind".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] API_VERSION = "apiVersion".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] METADATA = "metadata".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RESOURCE_VERSION = "\"resourceVersion\":\"".getBytes(StandardCharsets.US_ASCII);

  private StoredObjectWriter() {}

  /**
   * Appends the list item form of {@code stored} to {@code out}.
   *
   * @return false, with nothing appended, when the bytes are not a JSON object with an object
   *     {@code metadata} member (the caller then decodes and encodes the tree instead)
   */
  public static boolean writeListItem(byte[] stored, long resourceVersion, JsonBuffer out) {
    return write(stored, resourceVersion, null, null, out);
  }

  /**
   * Appends {@code stored} as a single object (a get's or create's response) to {@code out}: what
   * decoding it and setting {@code kind}, {@code apiVersion} and the resourceVersion gives.
   *
   * @return false, with nothing appended, when the bytes are not a JSON object with an object
   *     {@code metadata} member and exactly this {@code kind} and {@code apiVersion}
   */
  public static boolean writeObject(byte[] stored, long resourceVersion, String kind, String apiVersion,
      JsonBuffer out) {
    return write(stored, resourceVersion, quoted(kind), quoted(apiVersion), out);
  }

  private static byte[] quoted(String s) {
    return ('"' + s + '"').getBytes(StandardCharsets.UTF_8);
  }

  /** Drops kind and apiVersion when {@code kind} is null, else keeps them if their values are these. */
  private static boolean write(byte[] stored, long resourceVersion, byte[] kind, byte[] apiVersion, JsonBuffer out) {
    int start = out.size();
    int typeFields = 0;
    int i = skipWhitespace(stored, 0);
    if (i >= stored.length || stored[i] != '{') {
      return false;
    }
    i++;
    out.write((byte) '{');
    boolean first = true;
    boolean sawMetadata = false;
    try {
      while (true) {
        i = skipWhitespace(stored, i);
        if (stored[i] == '}') {
          break;
        }
        if (stored[i] == ',') {
          i = skipWhitespace(stored, i + 1);
        }
        int keyStart = i;
        int keyEnd = skipString(stored, i);
        i = skipWhitespace(stored, keyEnd);
        if (stored[i] != ':') {
          throw new IllegalArgumentException("expected ':'");
        }
        int valueStart = skipWhitespace(stored, i + 1);
        int valueEnd = skipValue(stored, valueStart);
        i = valueEnd;
        boolean isKind = keyIs(stored, keyStart, keyEnd, KIND);
        if (isKind || keyIs(stored, keyStart, keyEnd, API_VERSION)) {
          if (kind == null) {
            continue;
          }
          // a value other than the resource's would be replaced by decoding: leave that to the tree
          if (!java.util.Arrays.equals(stored, valueStart, valueEnd, isKind ? kind : apiVersion, 0,
              (isKind ? kind : apiVersion).length)) {
            throw new IllegalArgumentException("kind or apiVersion differs");
          }
          typeFields++;
        }
        if (!first) {
          out.write((byte) ',');
        }
        first = false;
        out.write(stored, keyStart, keyEnd - keyStart);
        out.write((byte) ':');
        if (keyIs(stored, keyStart, keyEnd, METADATA)) {
          if (stored[valueStart] != '{') {
            throw new IllegalArgumentException("metadata is not an object");
          }
          sawMetadata = true;
          int close = valueEnd - 1; // the metadata object's closing brace
          out.write(stored, valueStart, close - valueStart);
          if (skipWhitespace(stored, valueStart + 1) != close) {
            out.write((byte) ',');
          }
          out.write(RESOURCE_VERSION, 0, RESOURCE_VERSION.length);
          out.writeAscii(Long.toString(resourceVersion));
          out.write((byte) '"');
          out.write((byte) '}');
        } else {
          out.write(stored, valueStart, valueEnd - valueStart);
        }
      }
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException malformed) {
      out.truncate(start);
      return false;
    }
    if (!sawMetadata || (kind != null && typeFields != 2)) {
      out.truncate(start);
      return false;
    }
    out.write((byte) '}');
    return true;
  }

  private static boolean keyIs(byte[] b, int keyStart, int keyEnd, byte[] name) {
    // the key's span includes its quotes
    int len = keyEnd - keyStart - 2;
    if (len != name.length) {
      return false;
    }
    for (int k = 0; k < len; k++) {
      if (b[keyStart + 1 + k] != name[k]) {
        return false;
      }
    }
    return true;
  }

  private static int skipWhitespace(byte[] b, int i) {
    while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
      i++;
    }
    return i;
  }

  /** The index just after the string starting at {@code i}. */
  private static int skipString(byte[] b, int i) {
    if (b[i] != '"') {
      throw new IllegalArgumentException("expected a string");
    }
    i++;
    while (b[i] != '"') {
      i += b[i] == '\\' ? 2 : 1;
    }
    return i + 1;
  }

  /** The index just after the value starting at {@code i}. */
  private static int skipValue(byte[] b, int i) {
    byte c = b[i];
    if (c == '"') {
      return skipString(b, i);
    }
    if (c == '{' || c == '[') {
      int depth = 0;
      while (true) {
        byte x = b[i];
        if (x == '"') {
          i = skipString(b, i);
          continue;
        }
        if (x == '{' || x == '[') {
          depth++;
        } else if (x == '}' || x == ']') {
          depth--;
          if (depth == 0) {
            return i + 1;
          }
        }
        i++;
      }
    }
    while (i < b.length && b[i] != ',' && b[i] != '}' && b[i] != ']'
        && b[i] != ' ' && b[i] != '\n' && b[i] != '\r' && b[i] != '\t') {
      i++;
    }
    return i;
  }
}
