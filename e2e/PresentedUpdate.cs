namespace WebConsole.E2E;

/// <summary>An update the page presented, as the hook reports it (rectangles without their data).</summary>
internal sealed record PresentedUpdate(long FrameId, List<PresentedRect> Rects);
