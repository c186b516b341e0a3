package dev.flotilla.controller.exec.k8s;

import dev.flotilla.FlotillaException;

/** The Kubernetes API refused or failed a call the executor needs; the message says which. */
public class KubernetesExecutorException extends FlotillaException {

  public KubernetesExecutorException(String message) {
    super(message);
  }

  public KubernetesExecutorException(String message, Throwable cause) {
    super(message, cause);
  }
}
