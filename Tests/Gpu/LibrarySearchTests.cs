using NUnit.Framework;
using Scratch.Kernels.Gpu;
using Scratch.Kernels.Gpu.Runtime;
using Scratch.Tests.Support;

namespace Scratch.Tests.Gpu;

/// <summary>The native-library resolver, exercised without a GPU.</summary>
[TestFixture]
public class LibrarySearchTests
{
    private static readonly LibrarySpec Nonexistent = new("the test library", "SCRATCH_TEST_PATH",
        ["libscratch-test-missing.so.7", "libscratch-test-missing.so"], ["/nonexistent/scratch-folder", "/tmp"]);

    [Test]
    public void OverrideToAMissingFileNamesThatPath()
    {
        var location = LibrarySearch.Locate(CudaDriverLocation.DriverSpec, "/no/such/dir/libcuda.so.1", ldLibraryPath: null);
        Assert.That(location.Found, Is.False);
        var message = location.FailureMessage();
        Assert.That(message, Does.Contain("SCRATCH_CUDA_PATH=/no/such/dir/libcuda.so.1"));
        Assert.That(message, Does.Contain("/no/such/dir/libcuda.so.1: no such file or directory"));
        Assert.That(message, Does.StartWith("the CUDA driver library"));
    }

    [Test]
    public void OverrideToAFolderWithoutTheLibraryNamesTheFolderAndTheNames()
    {
        var folder = Directory.CreateTempSubdirectory("scratch-driver-").FullName;
        try
        {
            var message = LibrarySearch.Locate(CudaDriverLocation.DriverSpec, folder, ldLibraryPath: null).FailureMessage();
            Assert.That(message, Does.Contain(folder));
            Assert.That(message, Does.Contain("libcuda.so.1, libcuda.so in"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void AFileThatIsNotALibraryIsReportedWithTheLoaderError()
    {
        var file = Path.Combine(Path.GetTempPath(), $"scratch-not-a-library-{Guid.NewGuid():N}.so");
        File.WriteAllText(file, "not an ELF file");
        try
        {
            var location = LibrarySearch.Locate(CudaDriverLocation.DriverSpec, file, ldLibraryPath: null);
            Assert.That(location.Found, Is.False);
            Assert.That(location.Attempts, Has.Some.StartWith(file + ":"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void SearchListsLdLibraryPathFoldersAndTheDefaultLoader()
    {
        var folder = Directory.CreateTempSubdirectory("scratch-ld-").FullName;
        try
        {
            var location = LibrarySearch.Locate(Nonexistent, overrideValue: null, ldLibraryPath: $"{folder}:/nonexistent/ld-folder");
            Assert.That(location.Found, Is.False);
            Assert.That(location.Searched, Is.EqualTo(new[] { folder, "/tmp", "the default loader" }));
            var message = location.FailureMessage();
            Assert.That(message, Does.Contain("libscratch-test-missing.so.7").And.Contain("SCRATCH_TEST_PATH"));
            Assert.That(location.Attempts, Has.Some.StartWith("libscratch-test-missing.so.7:"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void DriverIsFoundThroughAnOverrideFolderWhenInstalled()
    {
        var installed = CudaDriverLocation.Driver.Path;
        if (installed is null) Assert.Ignore($"no CUDA driver on this machine: {CudaDriverLocation.Driver.FailureMessage()}");
        var folder = Path.GetDirectoryName(Path.GetFullPath(installed));
        if (folder is null || !File.Exists(installed)) Assert.Ignore($"the driver was loaded by name ({installed}), not from a file");
        var location = LibrarySearch.Locate(CudaDriverLocation.DriverSpec, folder, ldLibraryPath: null);
        Assert.That(location.Found, Is.True, location.FailureMessage());
        Assert.That(Path.GetDirectoryName(location.Path), Is.EqualTo(folder));
    }

    [Test]
    public void RuntimeEitherWorksOrSaysWhyNot()
    {
        if (GpuRuntime.CudaAvailable)
        {
            Assert.That(GpuRuntime.CudaDeviceCount, Is.GreaterThan(0));
            Assert.That(GpuRuntime.Cuda().Name, Is.EqualTo("cuda:0"));
            return;
        }
        RequireGpu.FailIfRequired();
        Assert.That(GpuRuntime.CudaUnavailableReason, Is.Not.Null.And.Not.Empty);
        var error = Assert.Throws<InvalidOperationException>(() => GpuRuntime.Cuda())!;
        Assert.That(error.Message, Does.Contain(GpuRuntime.CudaUnavailableReason));
    }
}
