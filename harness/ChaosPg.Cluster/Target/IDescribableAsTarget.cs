namespace ChaosPg.Cluster.Target;

/// <summary>A cluster this process runs that another process can drive as a target (<c>cluster up --write-target</c>).</summary>
public interface IDescribableAsTarget
{
    /// <summary>Its nodes, connections and fault commands; <paramref name="file"/> is where the description will be written.</summary>
    TargetDescription DescribeAsTarget(string file);
}
