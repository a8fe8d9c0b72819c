package org.videobackdoor.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path dir;

    private Path touch(String rel) throws Exception {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "x");
        return p;
    }

    @Test
    void ucf101SplitsAndMissingVideoReportedOrStrict() throws Exception {
        touch("UCF-101/ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi");
        touch("UCF-101/HandstandPushups/v_HandStandPushups_g01_c01.avi");
        Path lists = Files.createDirectories(dir.resolve("ucfTrainTestlist"));
        Files.writeString(lists.resolve("classInd.txt"), "1 ApplyEyeMakeup\n2 HandstandPushups\n");
        Files.writeString(lists.resolve("trainlist01.txt"),
                "ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi 1\nApplyEyeMakeup/v_ApplyEyeMakeup_g09_c01.avi 1\n");
        Files.writeString(lists.resolve("testlist01.txt"), "HandStandPushups/v_HandStandPushups_g01_c01.avi\n");
        // UCF-101's own folder is "HandstandPushups" while its lists say "HandStandPushups": the file lookup
        // is by the list's path, so it is missing here, and the class is found case-insensitively
        VideoDataset d = Datasets.ucf101(dir, null, 1, false);
        assertThat(d.classes()).containsExactly("ApplyEyeMakeup", "HandstandPushups");
        assertThat(d.train()).hasSize(1);
        assertThat(d.train().get(0).label()).isZero();
        assertThat(d.problems()).hasSize(2).allSatisfy(p -> assertThat(p).contains("missing").contains("list01.txt:"));
        assertThatThrownBy(() -> Datasets.ucf101(dir, null, 1, true)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("v_ApplyEyeMakeup_g09_c01.avi: missing (named in ")
                .hasMessageContaining("trainlist01.txt:2");
        assertThatThrownBy(() -> Datasets.ucf101(dir, null, 2, false)).hasMessageContaining("trainlist02.txt: annotation file not found");
    }

    @Test
    void hmdb51SplitFiles() throws Exception {
        touch("brush_hair/a.avi");
        touch("brush_hair/b.avi");
        touch("cartwheel/c.avi");
        Path s = Files.createDirectories(dir.resolve("testTrainMulti_7030_splits"));
        Files.writeString(s.resolve("brush_hair_test_split1.txt"), "a.avi 1 \nb.avi 2 \n");
        Files.writeString(s.resolve("cartwheel_test_split1.txt"), "c.avi 1 \nd.avi 0 \n");
        VideoDataset d = Datasets.hmdb51(dir, null, 1, true);
        assertThat(d.classes()).containsExactly("brush_hair", "cartwheel");
        assertThat(d.train()).extracting(VideoSample::label).containsExactly(0, 1);
        assertThat(d.test()).hasSize(1);
        assertThat(d.test().get(0).path().getFileName().toString()).isEqualTo("b.avi");
    }

    @Test
    void kineticsCsvWithClassSubset() throws Exception {
        touch("abc_000010_000020.mp4");
        touch("playing drums/xyz_000001_000011.mp4");
        touch("val/singing/qqq_000005_000015.mp4");
        Path csv = dir.resolve("k.csv");
        Files.writeString(csv, "label,youtube_id,time_start,time_end,split\n"
                + "singing,abc,10,20,train\n\"playing drums\",xyz,1,11,train\nsinging,qqq,5,15,val\nknitting,zzz,0,10,train\n");
        VideoDataset all = Datasets.kinetics(dir, csv, "val", List.of(), false);
        assertThat(all.classes()).containsExactly("knitting", "playing drums", "singing");
        assertThat(all.problems()).hasSize(1).first().asString().contains("zzz_000000_000010.mp4");
        VideoDataset sub = Datasets.kinetics(dir, csv, "val", List.of("singing", "playing drums"), true);
        assertThat(sub.classes()).containsExactly("singing", "playing drums");
        assertThat(sub.train()).extracting(VideoSample::label).containsExactly(0, 1);
        assertThat(sub.test()).hasSize(1);
        assertThatThrownBy(() -> Datasets.kinetics(dir, csv, "val", List.of("juggling"), false))
                .hasMessageContaining("'juggling'");
    }

    @Test
    void mmactionVideoLists() throws Exception {
        touch("a/one.mp4");
        touch("b/two words.mp4");
        Files.writeString(dir.resolve("train.txt"), "a/one.mp4 0\n");
        Files.writeString(dir.resolve("val.txt"), "b/two words.mp4 2\n");
        VideoDataset d = Datasets.videoList(dir, dir.resolve("train.txt"), dir.resolve("val.txt"), true);
        assertThat(d.numClasses()).isEqualTo(3);
        assertThat(d.test().get(0).path().getFileName().toString()).isEqualTo("two words.mp4");
        Files.writeString(dir.resolve("bad.txt"), "a/one.mp4 x\n");
        assertThatThrownBy(() -> Datasets.videoList(dir, dir.resolve("bad.txt"), dir.resolve("val.txt"), true))
                .hasMessage(dir.resolve("bad.txt") + ":1: 'x' is not an integer");
    }
}
