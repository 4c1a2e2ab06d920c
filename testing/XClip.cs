using System.Diagnostics;

namespace WebConsole.Testing;

/// <summary>Debian's xclip as the other X client of clipboard tests: it copies (owns a selection) and pastes (asks its owner).</summary>
internal static class XClip
{
    /// <summary>
    /// Copies <paramref name="utf8"/> into <paramref name="selection"/> as xclip does: it reads its input, forks a child
    /// that owns the selection until another client takes it (or the X server goes), and exits.
    /// </summary>
    public static void Copy(Xvfb x, byte[] utf8, string selection = "clipboard")
    {
        var info = new ProcessStartInfo("xclip") { UseShellExecute = false, RedirectStandardInput = true };
        foreach (string arg in (string[])["-i", "-selection", selection, "-t", "UTF8_STRING"])
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["DISPLAY"] = x.Display;
        using Process p = Process.Start(info)!;
        p.StandardInput.BaseStream.Write(utf8);
        p.StandardInput.Close();
        if (!p.WaitForExit(15_000))
        {
            p.Kill();
            throw new TimeoutException("xclip -i did not finish");
        }
    }

    public static void Copy(Xvfb x, string text, string selection = "clipboard") => Copy(x, System.Text.Encoding.UTF8.GetBytes(text), selection);

    /// <summary>What <c>xclip -o</c> pastes from <paramref name="selection"/> as <paramref name="target"/>, as bytes.</summary>
    public static byte[] Paste(Xvfb x, string selection = "clipboard", string target = "UTF8_STRING") =>
        x.Run("xclip", "-o", "-selection", selection, "-t", target);
}
