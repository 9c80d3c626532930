package dev.skiff.scheduler.plugins.podtopologyspread;

/** A topology domain: a node label key and one of its values (zone=a, hostname=n1). */
record TopologyPair(String key, String value) {}
