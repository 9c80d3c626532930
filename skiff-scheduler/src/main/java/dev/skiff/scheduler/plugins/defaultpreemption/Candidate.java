package dev.skiff.scheduler.plugins.defaultpreemption;

import dev.skiff.scheduler.framework.PodInfo;

import java.util.List;

/** A node where evicting {@code victims} (most important first) makes the preemptor fit. */
record Candidate(String nodeName, List<PodInfo> victims, int pdbViolations) {}
