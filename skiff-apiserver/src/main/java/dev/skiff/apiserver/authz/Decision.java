package dev.skiff.apiserver.authz;

/** An authorizer's answer, as upstream's: allow, deny, or no opinion (the next one decides). */
public sealed interface Decision {
  record Allow() implements Decision {}

  record Deny(String reason) implements Decision {}

  record NoOpinion(String reason) implements Decision {}
}
