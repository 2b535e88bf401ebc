using NUnit.Framework;
using Scratch.Kernels.Cuda;
using Scratch.Kernels.Cuda.Native;

namespace Scratch.Tests.Cuda;

/// <summary>The native-library resolver, exercised without a GPU.</summary>
[TestFixture]
public class LibrarySearchTests
{
    private static readonly LibrarySpec Nonexistent = new("the test library", "SCRATCH_TEST_PATH",
        ["libscratch-test-missing.so.7", "libscratch-test-missing.so"], ["/nonexistent/scratch-folder", "/tmp"]);

    [Test]
    public void OverrideToAMissingFileNamesThatPath()
    {
        var location = LibrarySearch.Locate(CudaLibraries.NvrtcSpec, "/no/such/dir/libnvrtc.so.12", ldLibraryPath: null);
        Assert.That(location.Found, Is.False);
        var message = location.FailureMessage();
        Assert.That(message, Does.Contain("SCRATCH_NVRTC_PATH=/no/such/dir/libnvrtc.so.12"));
        Assert.That(message, Does.Contain("/no/such/dir/libnvrtc.so.12: no such file or directory"));
        Assert.That(message, Does.StartWith("NVRTC"));
    }

    [Test]
    public void OverrideToAFolderWithoutTheLibraryNamesTheFolderAndTheNames()
    {
        var folder = Directory.CreateTempSubdirectory("scratch-nvrtc-").FullName;
        try
        {
            var message = LibrarySearch.Locate(CudaLibraries.NvrtcSpec, folder, ldLibraryPath: null).FailureMessage();
            Assert.That(message, Does.Contain(folder));
            Assert.That(message, Does.Contain("libnvrtc.so.13").And.Contain("libnvrtc.so.12").And.Contain("libnvrtc.so.11.2"));
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
            var location = LibrarySearch.Locate(CudaLibraries.DriverSpec, file, ldLibraryPath: null);
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
    public void NvrtcIsFoundThroughAnOverrideFolderWhenInstalled()
    {
        if (!CudaRuntime.NvrtcAvailable) Assert.Ignore($"NVRTC not found: {CudaRuntime.NvrtcUnavailableReason}");
        var installed = CudaCompiler.LibraryPath!;
        var folder = Path.GetDirectoryName(Path.GetFullPath(installed));
        if (folder is null || !File.Exists(installed)) Assert.Ignore($"NVRTC was loaded by name ({installed}), not from a file");
        var location = LibrarySearch.Locate(CudaLibraries.NvrtcSpec, folder, ldLibraryPath: null);
        Assert.That(location.Found, Is.True, location.FailureMessage());
        Assert.That(Path.GetDirectoryName(location.Path), Is.EqualTo(folder));
    }

    [Test]
    public void RuntimeEitherWorksOrSaysWhyNot()
    {
        if (CudaRuntime.IsAvailable)
        {
            Assert.That(CudaRuntime.DeviceCount, Is.GreaterThan(0));
            Assert.That(CudaRuntime.GetBackend().Name, Is.EqualTo("cuda:0"));
            return;
        }
        Assert.That(CudaRuntime.UnavailableReason, Is.Not.Null.And.Not.Empty);
        var error = Assert.Throws<InvalidOperationException>(() => CudaRuntime.GetBackend())!;
        Assert.That(error.Message, Does.Contain(CudaRuntime.UnavailableReason));
    }
}
