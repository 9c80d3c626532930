package dev.skiff.scheduler.plugins.imagelocality;

import dev.skiff.scheduler.framework.ClusterLister;
import org.junit.jupiter.api.Test;

import static dev.skiff.scheduler.framework.TestFrameworks.only;
import static dev.skiff.scheduler.framework.TestFrameworks.scores;
import static dev.skiff.scheduler.framework.TestFrameworks.snapshot;
import static dev.skiff.scheduler.framework.TestNodes.node;
import static dev.skiff.scheduler.framework.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

class ImageLocalityTest {

    static final long MB = 1024 * 1024;

    @Test
    void prefersNodesWithLargeImagesScaledBySpread() {
        // 500 MB image on 1 of 2 nodes: 250 MB after spread -> (250-23)/(1000-23)*100 = 23
        var s = scores(only(ClusterLister.EMPTY, ImageLocality.NAME), pod("p").containerWithImage("app:v1").info(),
                snapshot(node("with").image("app:v1", 500 * MB).info(), node("without").info()));
        assertThat(s).containsEntry("with", 23L).containsEntry("without", 0L);
    }

    @Test
    void untaggedImageMeansLatestAndSmallImagesScoreZero() {
        var s = scores(only(ClusterLister.EMPTY, ImageLocality.NAME), pod("p").containerWithImage("nginx").info(),
                snapshot(node("big").image("nginx:latest", 2000 * MB).info(), node("small").image("other:latest", 10 * MB).info()));
        // 2000 MB on 1 of 2 nodes = 1000 MB: the maximum for one container
        assertThat(s).containsEntry("big", 100L).containsEntry("small", 0L);
    }

    @Test
    void normalizesNames() {
        assertThat(ImageLocality.normalize("nginx")).isEqualTo("nginx:latest");
        assertThat(ImageLocality.normalize("registry:5000/app")).isEqualTo("registry:5000/app:latest");
        assertThat(ImageLocality.normalize("app@sha256:abc")).isEqualTo("app@sha256:abc");
    }
}
