using System.Globalization;
using Genie.AppHost.Hosting;

namespace Genie.AppHost.Projects;

public static class ProjectResourceExtensions
{
    /// <summary>
    /// A service project referenced by Genie.AppHost.csproj, e.g. <c>AddProject("agent", "Genie.Agent")</c>.
    /// Replicas come from <c>--replicas agent=2</c> or <c>Genie:Replicas:agent</c>.
    /// </summary>
    public static ResourceBuilder<ProjectResource> AddProject(this DistributedApplicationBuilder builder, string name, string projectName)
    {
        if (ProjectCatalog.Find(projectName) is { } project)
            return builder.AddDotnetAssembly(name, project.AssemblyPath, project.ProjectDirectory);
        builder.Problems.Add($"{projectName} is not a project referenced by Genie.AppHost.csproj (add a ProjectReference with GenieService=\"true\").");
        return builder.AddDotnetAssembly(name, projectName, Directory.GetCurrentDirectory());
    }

    /// <summary>Any built .NET assembly run as <c>dotnet &lt;assemblyPath&gt; [arguments]</c>, treated like a project.</summary>
    public static ResourceBuilder<ProjectResource> AddDotnetAssembly(
        this DistributedApplicationBuilder builder, string name, string assemblyPath, string workingDirectory, params string[] arguments)
    {
        var resource = builder.AddResource(new ProjectResource(name, assemblyPath, workingDirectory, arguments));
        var configured = builder.Configuration[$"{CommandLine.ReplicasSection}:{name}"];
        if (configured is not null)
        {
            if (int.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out var replicas) && replicas is >= 1 and <= 16)
                resource.Resource.Replicas = replicas;
            else
                builder.Problems.Add($"{CommandLine.ReplicasSection}:{name} must be a number from 1 to 16, got '{configured}'.");
        }
        return resource;
    }

    /// <summary>Pass the referenced resource's values (connection string, endpoints, URL) to this project.</summary>
    public static ResourceBuilder<ProjectResource> WithReference<T>(this ResourceBuilder<ProjectResource> project, ResourceBuilder<T> reference)
        where T : Resource, IReferenceable
    {
        project.Resource.References.Add(reference.Resource);
        return project;
    }

    /// <summary>Run <paramref name="replicas"/> copies, unless configuration asks for a different number.</summary>
    public static ResourceBuilder<ProjectResource> WithReplicas(this ResourceBuilder<ProjectResource> project, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        if (project.ApplicationBuilder.Configuration[$"{CommandLine.ReplicasSection}:{project.Resource.Name}"] is null)
            project.Resource.Replicas = replicas;
        return project;
    }

    public static ResourceBuilder<ProjectResource> WithEnvironment(this ResourceBuilder<ProjectResource> project, string name, string value)
    {
        project.Resource.Environment[name] = value;
        return project;
    }

    /// <summary>This project's HTTP endpoint is the portal: shown prominently, with the admin sign-in.</summary>
    public static ResourceBuilder<ProjectResource> AsPortal(this ResourceBuilder<ProjectResource> project)
    {
        project.Resource.IsPortal = true;
        return project;
    }
}
