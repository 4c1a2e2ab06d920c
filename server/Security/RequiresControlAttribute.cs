namespace WebConsole.Security;

/// <summary>
/// Marks a hub method that drives the console (keyboard, pointer, typed text). Connections whose
/// access is <c>view</c> only have such calls dropped and logged by the server.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true, AllowMultiple = false)]
public sealed class RequiresControlAttribute : Attribute;
