package dev.skiff.controllers.garbagecollector;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;

public final class GarbageCollector implements Controller {
  public static final String NAME = "garbagecollector";

  public GarbageCollector(ControllerContext ctx) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start() {}

  @Override
  public void close() {}
}
