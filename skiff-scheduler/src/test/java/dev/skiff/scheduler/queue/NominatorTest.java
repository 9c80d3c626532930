package dev.skiff.scheduler.queue;

import dev.skiff.scheduler.framework.PodInfo;
import org.junit.jupiter.api.Test;

import static dev.skiff.scheduler.framework.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

class NominatorTest {

    final Nominator nominator = new Nominator();

    @Test
    void answersPerNodeAndCountsOverAllNodes() {
        PodInfo a = pod("a").info();
        PodInfo b = pod("b").info();
        assertThat(nominator.size()).isZero();
        assertThat(nominator.nominatedPodsForNode("n1")).isEmpty();

        nominator.addNominatedPod(a, "n1");
        nominator.addNominatedPod(b, "n2");
        assertThat(nominator.size()).isEqualTo(2);
        assertThat(nominator.nominatedPodsForNode("n1")).extracting(PodInfo::key).containsExactly("default/a");
        assertThat(nominator.nominatedPodsForNode("n3")).isEmpty();

        // a new nomination moves the pod; the count stays
        nominator.addNominatedPod(a, "n2");
        assertThat(nominator.size()).isEqualTo(2);
        assertThat(nominator.nominatedPodsForNode("n1")).isEmpty();
        assertThat(nominator.nominatedPodsForNode("n2")).extracting(PodInfo::key).containsExactlyInAnyOrder("default/a", "default/b");

        nominator.deleteNominatedPodIfExists("default/a");
        nominator.deleteNominatedPodIfExists("default/b");
        nominator.deleteNominatedPodIfExists("default/absent");
        assertThat(nominator.size()).isZero();
        assertThat(nominator.nominatedPodsForNode("n2")).isEmpty();
    }
}
