package dev.sluice.sqlite;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done on a connection that may throw {@link SQLException}. */
@FunctionalInterface
public interface SqlWork<T> {
  T apply(Connection connection) throws SQLException;
}
