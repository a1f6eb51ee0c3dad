package dev.sluice.web.http;

import io.javalin.http.HttpStatus;

/** A request the server refuses, with the status and a reason for the JSON error body. */
final class HttpProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient HttpStatus status;

  HttpProblem(HttpStatus status, String message) {
    super(message);
    this.status = status;
  }

  HttpStatus status() {
    return status;
  }
}
