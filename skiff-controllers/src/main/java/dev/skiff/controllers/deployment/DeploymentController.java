package dev.skiff.controllers.deployment;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;

public final class DeploymentController implements Controller {
  public static final String NAME = "deployment";

  public DeploymentController(ControllerContext ctx) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start() {}

  @Override
  public void close() {}
}
