using HandInHand.Host.Setup;

var builder = WebApplication.CreateBuilder(args);
builder.AddApplicationServices();

var app = builder.Build();
app.MapApplicationEndpoints();
app.Run();

/// <summary>The app's entry point; public so that integration tests can host it.</summary>
public partial class Program;
