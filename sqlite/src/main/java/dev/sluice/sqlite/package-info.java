/**
 * The SQLite plumbing node-updater's state file and fleet-web's database share: connection
 * settings, {@code user_version} migrations run as whole scripts, transactions and row mappers.
 * Each program keeps its own schema and its own stores; only the mechanics live here.
 */
package dev.sluice.sqlite;
