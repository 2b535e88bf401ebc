using System.CommandLine;
using Scratch.Cli.Commands;

namespace Scratch.Cli;

/// <summary>The <c>scratch</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line; returns the exit code.</summary>
    public static int Main(string[] args)
    {
        var root = new RootCommand("Scratch: a deep-learning engine written from scratch in C#")
        {
            TrainCommand.Create(),
            EvaluateCommand.Create(),
            PredictCommand.Create(),
            InfoCommand.Create(),
            CheckCommand.Create(),
            BenchCommand.Create(),
            GpuSelfTestCommand.Create(),
        };
        try
        {
            return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (IsUserError(e))
        {
            // Bad input gets one clear message and a non-zero exit, never a stack trace.
            Console.Error.WriteLine($"scratch: error: {e.Message}");
            return 2;
        }
    }

    private static bool IsUserError(Exception e) => e is ArgumentException or InvalidOperationException or FormatException
        or IOException or InvalidDataException or UnauthorizedAccessException or NotSupportedException or OutOfMemoryException;
}
