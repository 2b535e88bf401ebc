namespace Scratch.Kernels.Cuda.Native;

/// <summary>
/// The CUDA driver API's <c>CUresult</c> codes that Scratch reacts to specifically; any other value is
/// reported through <c>cuGetErrorName</c>/<c>cuGetErrorString</c>.
/// </summary>
internal enum CuResult
{
    Success = 0,
    InvalidValue = 1,
    OutOfMemory = 2,
    NotInitialized = 3,
    Deinitialized = 4,
    StubLibrary = 34,
    InsufficientDriver = 35,
    NoDevice = 100,
    InvalidDevice = 101,
    InvalidPtx = 218,
    UnsupportedPtxVersion = 222,
    NotReady = 600,
    IllegalAddress = 700,
    LaunchOutOfResources = 701,
}

/// <summary>NVRTC's <c>nvrtcResult</c> codes (values from nvrtc.h).</summary>
internal enum NvrtcResult
{
    Success = 0,
    OutOfMemory = 1,
    ProgramCreationFailure = 2,
    InvalidInput = 3,
    InvalidProgram = 4,
    InvalidOption = 5,
    Compilation = 6,
    BuiltinOperationFailure = 7,
    NoNameExpressionsAfterCompilation = 8,
    NoLoweredNamesBeforeCompilation = 9,
    NameExpressionNotValid = 10,
    InternalError = 11,
}

/// <summary>Enum values of cuda.h that Scratch passes to the driver.</summary>
internal static class CuConstants
{
    // CUdevice_attribute
    public const int AttributeMaxThreadsPerBlock = 1;
    public const int AttributeMaxGridDimY = 6;
    public const int AttributeMaxGridDimZ = 7;
    public const int AttributeMaxSharedMemoryPerBlock = 8;
    public const int AttributeWarpSize = 10;
    public const int AttributeMultiprocessorCount = 16;
    public const int AttributeComputeCapabilityMajor = 75;
    public const int AttributeComputeCapabilityMinor = 76;

    // CUjit_option
    public const int JitInfoLogBuffer = 3;
    public const int JitInfoLogBufferSizeBytes = 4;
    public const int JitErrorLogBuffer = 5;
    public const int JitErrorLogBufferSizeBytes = 6;

    // CUstream_flags: a stream that does not synchronise with the legacy default stream.
    public const uint StreamNonBlocking = 0x1;

    // CUevent_flags
    public const uint EventDefault = 0x0;
    public const uint EventDisableTiming = 0x2;
}
