package org.videobackdoor.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.videobackdoor.data.ClipHook;
import org.videobackdoor.data.VideoSample;

class PoisonerTest {
    static List<VideoSample> samples(int n, int classes) {
        List<VideoSample> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            s.add(new VideoSample(Path.of("v" + i + ".avi"), i % classes, "train"));
        }
        return s;
    }

    static AttackConfig cfg(double rate, String trainFrames) {
        AttackConfig c = new AttackConfig();
        c.name = "badnet";
        c.rate = rate;
        c.target = 0;
        c.trainFrames = trainFrames;
        return c;
    }

    @Test
    void poisonsTheRateFromOutsideTheTargetClassDeterministically() {
        var train = samples(200, 4);
        Poisoner a = new Poisoner(cfg(0.1, "all"), train, 3);
        Poisoner b = new Poisoner(cfg(0.1, "all"), train, 3);
        Poisoner c = new Poisoner(cfg(0.1, "all"), train, 4);
        assertThat(a.poisonedCount()).isEqualTo(20);
        List<Integer> pa = new ArrayList<>();
        List<Integer> pc = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            assertThat(a.isPoisoned(i)).isEqualTo(b.isPoisoned(i));
            if (a.isPoisoned(i)) {
                assertThat(train.get(i).label()).isNotEqualTo(0);
                pa.add(i);
            }
            if (c.isPoisoned(i)) {
                pc.add(i);
            }
        }
        assertThat(pa).isNotEqualTo(pc);
    }

    @Test
    void aRestrictedAttackerKeepsEachSamplesPoisoningAtItsNewIndex() {
        var train = samples(200, 4);
        Poisoner whole = new Poisoner(cfg(0.1, "all"), train, 3);
        List<Integer> odd = new ArrayList<>();
        for (int i = 1; i < train.size(); i += 2) {
            odd.add(i);
        }
        Poisoner part = whole.restrict(odd);
        int expected = 0;
        for (int k = 0; k < odd.size(); k++) {
            assertThat(part.isPoisoned(k)).isEqualTo(whole.isPoisoned(odd.get(k)));
            expected += whole.isPoisoned(odd.get(k)) ? 1 : 0;
        }
        assertThat(part.poisonedCount()).isEqualTo(expected);
        assertThat(expected).isGreaterThan(0).isLessThan(whole.poisonedCount());
        assertThat(part.trigger()).isSameAs(whole.trigger());
    }

    @Test
    void trainHookRelabelsPoisonedSamplesAndPoisonsTheConfiguredFrameCount() {
        var train = samples(40, 4);
        Poisoner p = new Poisoner(cfg(0.25, "1"), train, 1);
        var clip = TriggerPropertiesTest.randomClip(3);
        ClipHook h = p.trainHook();
        for (int i = 0; i < train.size(); i++) {
            var own = clip.withFrames(clip.frames().clone(), clip.numFrames(), clip.height(), clip.width());
            var out = h.apply(train.get(i), i, new ClipHook.Labelled(own, train.get(i).label()), new SplittableRandom(i));
            if (p.isPoisoned(i)) {
                assertThat(out.label()).isEqualTo(0);
                int changedFrames = 0;
                for (int t = 0; t < clip.numFrames(); t++) {
                    if (!java.util.Arrays.equals(out.clip().frame(t), clip.frame(t))) {
                        changedFrames++;
                    }
                }
                assertThat(changedFrames).isEqualTo(1);
            } else {
                assertThat(out.clip()).isSameAs(own);
                assertThat(own.frames()).isEqualTo(clip.frames());
                assertThat(out.label()).isEqualTo(train.get(i).label());
            }
        }
        // the test hook triggers every clip and keeps labels
        var own = clip.withFrames(clip.frames().clone(), clip.numFrames(), clip.height(), clip.width());
        var t = p.testHook().apply(train.get(1), 1, new ClipHook.Labelled(own, 1), new SplittableRandom(0));
        assertThat(t.label()).isEqualTo(1);
        assertThat(t.clip().frames()).isNotEqualTo(clip.frames());
        assertThat(p.asrSamples(train)).allMatch(s -> s.label() != 0).hasSize(30);
    }

    @Test
    void framePolicyCounts() {
        SplittableRandom r = new SplittableRandom(1);
        assertThat(FramePolicy.parse("all").choose(8, r)).hasSize(8);
        assertThat(FramePolicy.parse("3").choose(8, r)).hasSize(3).isSorted().doesNotHaveDuplicates();
        assertThat(FramePolicy.parse("32").choose(8, r)).hasSize(8);
        for (int i = 0; i < 20; i++) {
            assertThat(FramePolicy.parse("random").choose(8, r).length).isBetween(1, 8);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FramePolicy.parse("0")).hasMessageContaining("count");
    }
}
