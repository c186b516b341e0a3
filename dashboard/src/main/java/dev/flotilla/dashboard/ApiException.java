package dev.flotilla.dashboard;

/** A request the dashboard refuses, with the HTTP status and a message saying what to do. */
final class ApiException extends RuntimeException {

  private final int status;

  ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, message);
  }
}
