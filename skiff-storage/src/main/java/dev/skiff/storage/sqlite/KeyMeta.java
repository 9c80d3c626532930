package dev.skiff.storage.sqlite;

/**
 * What the writer needs to know about a live key to evaluate a condition without reading the
 * database: the revisions and version of its latest version.
 */
record KeyMeta(long createRevision, long modRevision, long version) {}
