/**
 * Command-line plumbing the three programs share: the version line, {@code --now}, {@code --json}
 * and {@code --verbose}, turning a failure into one line on stderr and an exit code, and how commit
 * ids and times are shown. Each program keeps its own commands, exit codes and wiring.
 */
package dev.sluice.cli;
