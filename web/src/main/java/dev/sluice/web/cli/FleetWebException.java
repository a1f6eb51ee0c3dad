package dev.sluice.web.cli;

/** Why fleet-web could not start; each kind maps to one exit code. */
sealed class FleetWebException extends RuntimeException
    permits FleetWebException.Store, FleetWebException.Listen {
  private static final long serialVersionUID = 1L;

  FleetWebException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The database cannot be opened, is corrupt or was written by a newer fleet-web. */
  static final class Store extends FleetWebException {
    private static final long serialVersionUID = 1L;

    Store(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The server cannot listen on the requested address. */
  static final class Listen extends FleetWebException {
    private static final long serialVersionUID = 1L;

    Listen(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
