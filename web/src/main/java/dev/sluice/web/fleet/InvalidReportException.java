package dev.sluice.web.fleet;

/** A node report was refused; the message says why, for the node's operator. */
public final class InvalidReportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidReportException(String message) {
    super(message);
  }
}
