using System.Globalization;

namespace WebConsole.Bench;

/// <summary>The <c>--name value</c> options of a subcommand.</summary>
internal static class CommandLine
{
    /// <summary>The integer after <paramref name="name"/>, or <paramref name="fallback"/> when it is absent.</summary>
    public static int Int(ReadOnlySpan<string> args, string name, int fallback)
    {
        for (int i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == name)
            {
                return int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            }
        }
        return fallback;
    }

    /// <summary>The text after <paramref name="name"/>, or <paramref name="fallback"/> when it is absent.</summary>
    public static string String(ReadOnlySpan<string> args, string name, string fallback)
    {
        for (int i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == name)
            {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
