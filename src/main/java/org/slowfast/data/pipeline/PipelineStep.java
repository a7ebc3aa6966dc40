package org.slowfast.data.pipeline;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.slowfast.data.Sample;

/**
 * One pipeline step of a dataset dict, bound by its MMAction2 {@code type} name. Each step is a small record whose
 * components are the step's arguments, key for key.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = SampleFrames.class, name = "SampleFrames"),
    @JsonSubTypes.Type(value = DenseSampleFrames.class, name = "DenseSampleFrames"),
    @JsonSubTypes.Type(value = RawFrameDecode.class, name = "RawFrameDecode"),
    @JsonSubTypes.Type(value = VideoInit.class, names = {"DecordInit", "PyAVInit", "OpenCVInit"}),
    @JsonSubTypes.Type(value = VideoDecode.class, names = {"DecordDecode", "PyAVDecode", "OpenCVDecode"}),
    @JsonSubTypes.Type(value = Resize.class, name = "Resize"),
    @JsonSubTypes.Type(value = RandomResizedCrop.class, name = "RandomResizedCrop"),
    @JsonSubTypes.Type(value = MultiScaleCrop.class, name = "MultiScaleCrop"),
    @JsonSubTypes.Type(value = RandomCrop.class, name = "RandomCrop"),
    @JsonSubTypes.Type(value = CenterCrop.class, name = "CenterCrop"),
    @JsonSubTypes.Type(value = ThreeCrop.class, name = "ThreeCrop"),
    @JsonSubTypes.Type(value = TenCrop.class, name = "TenCrop"),
    @JsonSubTypes.Type(value = Flip.class, name = "Flip"),
    @JsonSubTypes.Type(value = ColorJitter.class, name = "ColorJitter"),
    @JsonSubTypes.Type(value = Normalize.class, name = "Normalize"),
    @JsonSubTypes.Type(value = FormatShape.class, name = "FormatShape"),
    @JsonSubTypes.Type(value = Collect.class, name = "Collect"),
    @JsonSubTypes.Type(value = ToTensor.class, name = "ToTensor"),
})
public interface PipelineStep {
    /** Runs the step on one sample, as the MMAction2 transform's {@code __call__} does on its results dict. */
    void apply(Sample sample);
}
