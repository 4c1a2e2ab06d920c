namespace WebConsole.E2E;

/// <summary>An update the page presented, as the hook reports it (rectangles without their data); <see cref="Refresh"/> for a lossless refresh.</summary>
internal sealed record PresentedUpdate(long FrameId, List<PresentedRect> Rects, bool Refresh = false);
