using System.Diagnostics;

namespace Scratch.Tests.Cli;

/// <summary>Runs the built <c>scratch</c> command as a child process.</summary>
internal static class CliProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "scratch.dll");

    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        return info;
    }

    /// <summary>Runs to completion; returns exit code, stdout and stderr.</summary>
    public static (int ExitCode, string Output, string Error) Run(TimeSpan timeout, params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scratch {string.Join(' ', args)} did not finish in {timeout}");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
