package dev.skiff.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteDatabaseTest {
  @TempDir Path dir;

  @Test
  void readersKeepSmallerPageCachesThanTheWriter() throws SQLException {
    SqliteDatabase database = new SqliteDatabase(dir.resolve("state.db"));
    try (Connection writer = database.openWriter(); Connection reader = database.openReader()) {
      database.createSchema(writer);
      // negative cache_size: KiB of page cache this connection may malloc and keep
      assertThat(pragma(writer, "cache_size")).isEqualTo(-16_384);
      assertThat(pragma(reader, "cache_size")).isEqualTo(-2_048);
      assertThat(pragma(reader, "journal_mode")).isEqualTo("wal");
    }
  }

  private static Object pragma(Connection c, String name) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA " + name)) {
      r.next();
      Object value = r.getObject(1);
      return value instanceof Number n ? (Object) n.intValue() : value;
    }
  }
}
