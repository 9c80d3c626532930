package dev.skiff.apiserver.conversion;

/**
 * An optional ability of a resource strategy: its version is served by converting objects of
 * another, stored version. The generic store builds its codec with {@link #conversion()}.
 */
public interface ConvertedVersion {

  /** How this version's objects are converted to and from the storage version. */
  VersionConversion conversion();
}
