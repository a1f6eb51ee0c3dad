package dev.sluice.updater.state;

/** The state database cannot be used: locked by another run, or written by a newer version. */
public class StateException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StateException(String message) {
    super(message);
  }

  public StateException(String message, Throwable cause) {
    super(message, cause);
  }
}
